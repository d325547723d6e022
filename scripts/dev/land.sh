#!/usr/bin/env bash
# For parallel work in git worktrees (git worktree add ../wt-x -b x main): lands the current branch on main.
# Rebases the branch onto main, then fast-forwards main (checked out in its own worktree) under a lock, so that
# two landings never interleave. Run the tests you need between the rebase and the landing: ./land.sh --rebase-only
set -euo pipefail
branch=$(git rev-parse --abbrev-ref HEAD)
[ "$branch" != main ] || { echo "run this from a feature worktree, not main" >&2; exit 2; }
main_tree=$(git worktree list --porcelain | awk '/^worktree /{w=$2} /^branch refs\/heads\/main$/{print w}')
[ -n "$main_tree" ] || { echo "main is not checked out in any worktree" >&2; exit 2; }
git diff --quiet && git diff --cached --quiet || { echo "commit or stash your changes first" >&2; exit 2; }
exec 9>"$(git rev-parse --git-common-dir)/land.lock"
flock 9
git rebase main
if [ "${1:-}" = "--rebase-only" ]; then exit 0; fi
git -C "$main_tree" diff --quiet || { echo "main's worktree $main_tree has local changes; not touching it" >&2; exit 2; }
git -C "$main_tree" merge --ff-only "$branch"
echo "landed $branch on main at $(git rev-parse --short HEAD)"
