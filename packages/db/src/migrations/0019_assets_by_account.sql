-- The account's files, newest first (GET /v1/assets, the console's gallery): ids sort by creation time, so a page
-- is a range of this index however many files the account has.
CREATE INDEX assets_account_id ON assets (account_id, id DESC);
