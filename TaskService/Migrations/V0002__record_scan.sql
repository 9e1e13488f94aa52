-- The warehouse notification sequence, bumped in the caller's transaction so it commits with the change it announces.
CREATE FUNCTION next_warehouse_sequence(p_warehouse_id text) RETURNS bigint
LANGUAGE sql AS $$
    INSERT INTO warehouse_sequences (warehouse_id, sequence) VALUES (p_warehouse_id, 1)
    ON CONFLICT (warehouse_id) DO UPDATE SET sequence = warehouse_sequences.sequence + 1
    RETURNING sequence
$$;

-- A scan, the platform's hottest write, in one round trip: lock the task, recognise a retried scan id, apply the
-- scan rules, record the scan, count it on the task and bump the warehouse sequence, all in one transaction.
-- Under READ COMMITTED each statement here takes a fresh snapshot, so the scan-id lookup runs after the row lock
-- is granted and sees a racing retry that committed first. Returns the task (before the change unless accepted),
-- the verdict and where the task is scanned; TaskService's ScanVerdicts turns a rejection into the message the handheld shows.
CREATE FUNCTION record_scan(p_scan_id uuid, p_task_id uuid, p_sku text, p_location text, p_quantity integer)
RETURNS TABLE (
    id uuid, warehouse_id text, type text, sku text, quantity integer, quantity_done integer, from_location text,
    to_location text, status text, assignee text, version integer, created_at timestamptz, updated_at timestamptz,
    verdict text, previous_status text, sequence bigint, scan_location text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    task tasks;
    recorded_for uuid;
    result text;
    prior text;
    next_sequence bigint;
    expected_location text;
BEGIN
    SELECT * INTO task FROM tasks WHERE tasks.id = p_task_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT NULL::uuid, NULL, NULL, NULL, NULL::integer, NULL::integer, NULL, NULL, NULL, NULL,
            NULL::integer, NULL::timestamptz, NULL::timestamptz, 'not_found', NULL, NULL::bigint, NULL;
        RETURN;
    END IF;

    prior := task.status;
    -- Putaway is scanned where the stock goes, every other type where it is.
    expected_location := CASE WHEN task.type = 'putaway' THEN coalesce(task.to_location, task.from_location) ELSE task.from_location END;
    SELECT scans.task_id INTO recorded_for FROM scans WHERE scans.scan_id = p_scan_id;
    result := CASE
        WHEN recorded_for = p_task_id THEN 'duplicate'
        WHEN recorded_for IS NOT NULL THEN 'other_task'
        WHEN task.status NOT IN ('assigned', 'in_progress') THEN 'status'
        WHEN task.sku <> p_sku THEN 'sku'
        WHEN p_location <> expected_location THEN 'location'
        WHEN p_quantity > task.quantity - task.quantity_done THEN 'quantity'
        ELSE 'accepted'
    END;

    IF result = 'accepted' THEN
        INSERT INTO scans (scan_id, task_id, sku, location, quantity) VALUES (p_scan_id, p_task_id, p_sku, p_location, p_quantity);
        UPDATE tasks
        SET quantity_done = quantity_done + p_quantity,
            status = CASE WHEN quantity_done + p_quantity = quantity THEN 'done' ELSE 'in_progress' END,
            version = version + 1,
            updated_at = now()
        WHERE tasks.id = p_task_id
        RETURNING * INTO task;
        next_sequence := next_warehouse_sequence(task.warehouse_id);
    END IF;

    RETURN QUERY SELECT task.id, task.warehouse_id, task.type, task.sku, task.quantity, task.quantity_done, task.from_location,
        task.to_location, task.status, task.assignee, task.version, task.created_at, task.updated_at, result, prior, next_sequence, expected_location;
END
$$;
