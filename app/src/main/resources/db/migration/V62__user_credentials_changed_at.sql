-- When a user was disabled or their password reset: browser sessions that signed in before it end
-- (platform.security.SessionRevocation); API tokens are revoked at the same moment.
ALTER TABLE app_user ADD COLUMN credentials_changed_at timestamptz;
