-- The per-account upload quota (StoredFiles.requireQuota) sums an account's last 24 hours.
CREATE INDEX stored_file_uploader_idx ON stored_file (uploaded_by, uploaded_at);
