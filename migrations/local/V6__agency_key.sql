-- Accounts on every laptop (issue 6): the agency key this laptop received at enrollment, and each account's key wrap.
-- Append-only: never edit this file once shipped.

-- The agency key (32 bytes, hex), kept inside the encrypted store: with it this laptop wraps its data key for
-- `keys.json` (`agency_wrap`) and makes each account's `key_wrap`. Forgotten when the laptop is revoked.
ALTER TABLE sync_state ADD COLUMN agency_key TEXT;

-- The agency key wrapped under the account's password (talento_domain::keywrap::AgencyKeyWrap as JSON), synced with
-- the account so any enrolled laptop can let the person in offline. As sensitive as a password hash: never shown,
-- never logged.
ALTER TABLE users ADD COLUMN key_wrap TEXT;
