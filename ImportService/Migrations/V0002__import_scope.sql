-- The warehouses the uploader's token covered when the job was created (NULL: an admin's "all"). The import runs
-- later, in the background, so the scope travels with the job: rows of other warehouses are rejected by line, and
-- only callers whose token covers the same warehouses may read or cancel the job.
ALTER TABLE import_jobs ADD COLUMN warehouses text[];
