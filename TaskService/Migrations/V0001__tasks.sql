CREATE TABLE tasks (
    id             uuid        PRIMARY KEY,
    warehouse_id   text        NOT NULL,
    type           text        NOT NULL CHECK (type IN ('pick', 'putaway', 'count', 'move')),
    sku            text        NOT NULL,
    quantity       integer     NOT NULL CHECK (quantity > 0),
    quantity_done  integer     NOT NULL DEFAULT 0 CHECK (quantity_done >= 0 AND quantity_done <= quantity),
    from_location  text        NOT NULL,
    to_location    text,
    status         text        NOT NULL CHECK (status IN ('open', 'assigned', 'in_progress', 'done', 'cancelled')),
    assignee       text,
    version        integer     NOT NULL DEFAULT 1,
    import_job_id  uuid,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX tasks_warehouse_status ON tasks (warehouse_id, status, created_at);
CREATE INDEX tasks_assignee ON tasks (assignee) WHERE assignee IS NOT NULL;

-- One row per client scan id: a handheld's retry hits the primary key and is never counted twice.
CREATE TABLE scans (
    scan_id     uuid        PRIMARY KEY,
    task_id     uuid        NOT NULL REFERENCES tasks (id),
    sku         text        NOT NULL,
    location    text        NOT NULL,
    quantity    integer     NOT NULL CHECK (quantity > 0),
    scanned_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX scans_task ON scans (task_id);

-- Per-warehouse notification sequence, bumped in the same transaction as the change it announces.
CREATE TABLE warehouse_sequences (
    warehouse_id text   PRIMARY KEY,
    sequence     bigint NOT NULL
);
