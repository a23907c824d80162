-- Object storage and retention (issue 17). An asset the retention task deleted keeps its row, marked by deleted_at:
-- its job still lists it, and its URL answers 410 asset_expired rather than 404.
ALTER TABLE assets ADD COLUMN deleted_at timestamptz;

-- The retention task finds live assets by age.
CREATE INDEX assets_live_created_at ON assets (created_at) WHERE deleted_at IS NULL;

-- Objects are content-addressed and shared between jobs: an object goes only when no live asset refers to it.
CREATE INDEX assets_sha256 ON assets (sha256);

-- Objects whose assets have all been deleted, waiting for the store to delete them. A row leaves once the object
-- is gone or a live asset refers to it again; a store that fails keeps it here for the next run.
CREATE TABLE asset_object_deletions (
  sha256 text PRIMARY KEY,
  queued_at timestamptz NOT NULL DEFAULT now()
);
