-- Images an account uploaded (or had fetched from a URL) to start jobs from (issue 20). The bytes live in the asset
-- store, content-addressed like assets: retention deletes an object only when neither a live asset nor an upload
-- refers to it.
CREATE TABLE uploads (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id),
  sha256 text NOT NULL,
  mime_type text NOT NULL CHECK (mime_type IN ('image/png', 'image/jpeg', 'image/webp')),
  bytes integer NOT NULL CHECK (bytes > 0),
  width integer NOT NULL CHECK (width > 0),
  height integer NOT NULL CHECK (height > 0),
  source_url text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- An account's uploads are looked up by id within the account; retention asks whether any upload keeps an object.
CREATE INDEX uploads_account_id ON uploads (account_id, id);
CREATE INDEX uploads_sha256 ON uploads (sha256);
