-- Missing data (issue 4): a factor the outfall must report (an outfall-specific limit, or a data logger registered to
-- send it) without any valid value for a whole China day is its own finding, like ICIS D80 "monitoring value not
-- received" (anchors-and-standards.md §1.1), distinct from INSUFFICIENT_DATA (too few valid hours for a daily mean).
ALTER TABLE finding DROP CONSTRAINT finding_kind_check;
ALTER TABLE finding ADD CONSTRAINT finding_kind_check
    CHECK (kind IN ('INSTANT_EXCEEDANCE', 'VIOLATION', 'INSUFFICIENT_DATA', 'CHRONIC', 'TRC', 'DEVICE_OFFLINE', 'MISSING_DATA'));
