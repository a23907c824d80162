-- Video and speech: how far a running job has got, who made its assets (a fallback model may have), and what each
-- asset is to its job (the output, a video's poster, speech captions).
ALTER TABLE jobs
  ADD COLUMN progress real NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
  ADD COLUMN served_model text,
  ADD COLUMN served_provider text;

ALTER TABLE assets
  ADD COLUMN role text NOT NULL DEFAULT 'main' CHECK (role IN ('main', 'poster', 'captions'));
