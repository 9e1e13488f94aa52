#!/usr/bin/env node
/**
 * warehouse-watch: follows one warehouse and prints a JSON line per event (ready, change, resync, error), with
 * the sequence, the number of reloads and each task's quantity done. Reads commands from stdin: "resync" reloads
 * now; end of input stops. Settings from the environment: WAREHOUSE_GATEWAY, WAREHOUSE_TOKEN, WAREHOUSE_ID.
 */
import { createInterface } from "node:readline";
import { WarehouseTaskView } from "./index.js";

function setting(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

const view = await WarehouseTaskView.start({
  gateway: setting("WAREHOUSE_GATEWAY"),
  warehouseId: setting("WAREHOUSE_ID"),
  accessTokenFactory: () => setting("WAREHOUSE_TOKEN"),
  maxReconnectDelayMs: 1000,
});

const print = (event: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({
    event,
    ...extra,
    sequence: view.sequence,
    resyncs: view.resyncs,
    tasks: Object.fromEntries([...view.tasks.values()].map((task) => [task.id, task.quantityDone])),
  }));

view.onChange((change) => print("change", { type: change.type }));
view.onResync((reason) => print("resync", { reason }));
print("ready");

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === "resync") {
    await view.resync().catch((error: Error) => print("error", { message: error.message }));
  }
}
await view.stop();
