-- 不予受理 (《行政许可法》 Art 32: the application is not for this procedure or not licensable) gets its notice.
ALTER TABLE approval_document DROP CONSTRAINT approval_document_kind_check;
ALTER TABLE approval_document ADD CONSTRAINT approval_document_kind_check CHECK (kind IN ('ACCEPTANCE', 'SUPPLEMENT',
    'DECISION', 'REFUSAL', 'REGISTRATION_RECEIPT', 'RETURN', 'EXTENSION', 'NOT_ACCEPTED'));
