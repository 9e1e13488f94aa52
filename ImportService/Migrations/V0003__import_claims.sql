-- Any copy of the service may run any job (issue 22). A copy claims the oldest queued job (FOR UPDATE SKIP LOCKED) and
-- holds it under a lease that it renews while the job runs: owner names the copy, lease_expires_at is when another copy
-- may take the job back because its owner stopped renewing (it died, or lost the database). attempts counts claims,
-- so a file that kills every copy that runs it is failed after a bounded number of tries instead of looping.
ALTER TABLE import_jobs
    ADD COLUMN owner            text,
    ADD COLUMN lease_expires_at timestamptz,
    ADD COLUMN attempts         integer NOT NULL DEFAULT 0;

-- The claim query's order, and the recovery query's scan of running jobs.
CREATE INDEX import_jobs_claim ON import_jobs (created_at, id) WHERE status = 'queued';
CREATE INDEX import_jobs_lease ON import_jobs (lease_expires_at) WHERE status = 'running';

-- The uploaded file, in 1 MiB chunks, where every copy can read it (a copy's disk is its own, on Kubernetes too).
-- Written in the transaction that queues the job, so a job never exists without its file; the foreign key is checked
-- at commit because the chunks are streamed before the job row, whose size is known only once the body is read.
CREATE TABLE import_uploads (
    job_id uuid    NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    seq    integer NOT NULL,
    data   bytea   NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- A job's file goes when the job ends, whichever statement ends it (a finished run, a cancel, a lease recovery that
-- gives up): one rule in one place, so no path can forget it.
CREATE FUNCTION import_jobs_drop_upload() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM import_uploads WHERE job_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER import_jobs_drop_upload AFTER UPDATE OF status ON import_jobs
    FOR EACH ROW WHEN (NEW.status IN ('succeeded', 'failed', 'cancelled') AND OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION import_jobs_drop_upload();

-- Jobs left unfinished by the single-copy version kept their file on the disk of the process that received it, which
-- no copy of this version reads: they cannot run, so they end now and say why.
UPDATE import_jobs SET status = 'failed', finished_at = now(), imported_rows = 0,
    error = 'Interrupted by the upgrade to shared imports: the uploaded file was kept by the old version only. Nothing was imported; upload the file again.'
WHERE status IN ('queued', 'running');
