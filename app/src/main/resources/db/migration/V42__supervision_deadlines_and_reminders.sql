-- Field supervision (docs/supervision.md): working-day deadlines, escalation of overdue rectification orders, and the
-- review deadlines of the verification steps.

-- How the order's deadline was given: a number of working days from the inspection (computed on the official
-- working-day calendar and stored in `deadline`), or NULL when the inspector wrote a date.
ALTER TABLE rectification_order ADD COLUMN deadline_working_days int CHECK (deadline_working_days BETWEEN 1 AND 366);
-- An order past its deadline and not closed is escalated once (the issuing bureau is told), like remediation plans.
ALTER TABLE rectification_order ADD COLUMN escalated_at timestamptz;
-- The regulator reviews the party's response within gongzhi.supervision.review-working-days (stored when it comes in).
ALTER TABLE rectification_order ADD COLUMN review_due_on date;
CREATE INDEX rectification_order_deadline_idx ON rectification_order (deadline) WHERE status <> 'CLOSED';

-- A reported completion is verified within gongzhi.supervision.verification-working-days (stored when reported).
ALTER TABLE remediation_plan ADD COLUMN verification_due_on date;
