-- The refusal catalogue is kept by national administrators (系统管理 → 不予许可理由目录). A reason that decisions
-- cite is never deleted or reworded (issued decisions quote it); it is retired instead and no longer offered.
ALTER TABLE approval_refusal_reason ADD COLUMN retired_at timestamptz;
