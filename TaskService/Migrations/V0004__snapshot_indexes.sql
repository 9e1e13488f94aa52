-- A client's view of a warehouse starts from its open work (GET /api/tasks/snapshot): open, assigned and in progress,
-- in id order from a keyset cursor. This partial index holds exactly those rows, so a page costs its own rows however
-- many completed tasks the warehouse has accumulated, and a task leaves it when it is done or cancelled.
CREATE INDEX tasks_open_by_warehouse ON tasks (warehouse_id, id) WHERE status IN ('open', 'assigned', 'in_progress');

-- The completed ones, read on demand (GET /api/tasks/snapshot?completed=true), in the same keyset order.
CREATE INDEX tasks_completed_by_warehouse ON tasks (warehouse_id, id) WHERE status IN ('done', 'cancelled');
