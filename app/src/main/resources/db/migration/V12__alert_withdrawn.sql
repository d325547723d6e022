-- An open alert whose finding a recomputation no longer supports (late data completed the day, a corrected value)
-- is withdrawn by the system: it leaves the unread count and the escalation clock, and stays visible as withdrawn.
ALTER TABLE alert DROP CONSTRAINT alert_status_check;
ALTER TABLE alert ADD CONSTRAINT alert_status_check CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'WITHDRAWN'));
