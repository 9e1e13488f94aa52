-- next_warehouse_sequence as plpgsql: Postgres 15 parses, analyses and plans a LANGUAGE sql function's body on every
-- call (a body with an INSERT is never inlined), and every scan calls it. A profile of Postgres under the scan
-- benchmark put 13 % of its CPU in that SQL function, half of it parsing and planning; plpgsql keeps the INSERT's plan
-- for the session. Same signature, same statement, same result.
CREATE OR REPLACE FUNCTION next_warehouse_sequence(p_warehouse_id text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    next_sequence bigint;
BEGIN
    INSERT INTO warehouse_sequences AS s (warehouse_id, sequence) VALUES (p_warehouse_id, 1)
    ON CONFLICT (warehouse_id) DO UPDATE SET sequence = s.sequence + 1
    RETURNING s.sequence INTO next_sequence;
    RETURN next_sequence;
END
$$;
