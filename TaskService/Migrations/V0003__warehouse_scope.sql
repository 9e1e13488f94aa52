-- Warehouse isolation for scans, enforced where the data is: record_scan takes the caller's warehouses (NULL for
-- an admin's "all") and answers not_found for a task outside them, before anything is locked or written. A task's
-- warehouse never changes after it is created, so checking it ahead of the locked scan cannot race.
ALTER FUNCTION record_scan(uuid, uuid, text, text, integer) RENAME TO record_scan_in_any_warehouse;

CREATE FUNCTION record_scan(p_scan_id uuid, p_task_id uuid, p_sku text, p_location text, p_quantity integer, p_warehouses text[])
RETURNS TABLE (
    id uuid, warehouse_id text, type text, sku text, quantity integer, quantity_done integer, from_location text,
    to_location text, status text, assignee text, version integer, created_at timestamptz, updated_at timestamptz,
    verdict text, previous_status text, sequence bigint, scan_location text)
LANGUAGE plpgsql AS $$
BEGIN
    IF p_warehouses IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = p_task_id AND t.warehouse_id = ANY (p_warehouses)) THEN
        RETURN QUERY SELECT NULL::uuid, NULL, NULL, NULL, NULL::integer, NULL::integer, NULL, NULL, NULL, NULL,
            NULL::integer, NULL::timestamptz, NULL::timestamptz, 'not_found', NULL, NULL::bigint, NULL;
        RETURN;
    END IF;

    RETURN QUERY SELECT * FROM record_scan_in_any_warehouse(p_scan_id, p_task_id, p_sku, p_location, p_quantity);
END
$$;
