CREATE TABLE import_jobs (
    id                uuid        PRIMARY KEY,
    status            text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    file_name         text        NOT NULL,
    skip_invalid_rows boolean     NOT NULL,
    size_bytes        bigint      NOT NULL,
    total_rows        bigint      NOT NULL DEFAULT 0,
    imported_rows     bigint      NOT NULL DEFAULT 0,
    rejected_rows     bigint      NOT NULL DEFAULT 0,
    error             text,
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    finished_at       timestamptz
);

CREATE INDEX import_jobs_unfinished ON import_jobs (status) WHERE status IN ('queued', 'running');

-- The first row errors of a job, by CSV line, so a planner can fix the file.
CREATE TABLE import_errors (
    job_id   uuid    NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    line     bigint  NOT NULL,
    field    text    NOT NULL,
    message  text    NOT NULL,
    PRIMARY KEY (job_id, line, field)
);
