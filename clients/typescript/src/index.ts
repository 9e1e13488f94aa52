import {
  HubConnection,
  HubConnectionBuilder,
  HubConnectionState,
  IRetryPolicy,
  LogLevel,
  RetryContext,
} from "@microsoft/signalr";

/** A task as the task service returns it (`GET /api/tasks`) and as notifications carry it. */
export interface WarehouseTask {
  id: string;
  warehouseId: string;
  type: string;
  sku: string;
  quantity: number;
  quantityDone: number;
  fromLocation: string;
  toLocation: string | null;
  status: string;
  assignee: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The hub's `notification` message: the sequence rises by one per change of the warehouse. */
export interface Notification {
  type: string;
  warehouseId: string;
  sequence: number;
  data: unknown;
}

/** One task created, updated or completed, applied at `sequence`. */
export interface TaskChange {
  type: string;
  task: WarehouseTask;
  sequence: number;
}

/**
 * Why the view reloaded the warehouse over REST: a skipped sequence, a reconnect (anything sent while the
 * connection was down is lost), an import (its notification names the job, not the tasks), or the application.
 */
export type ResyncReason = "gap" | "reconnected" | "imported" | "requested";

export interface WarehouseClientOptions {
  /** The API gateway's base address (REST under /api, the hub at /hubs/tasks). */
  gateway: string;
  /** The warehouse to follow; the token must cover it. */
  warehouseId: string;
  /** Returns a current bearer token; asked for each REST call and each (re)connection. */
  accessTokenFactory: () => string | Promise<string>;
  /** The longest wait between reconnection attempts (default 5000 ms); the view never stops trying while open. */
  maxReconnectDelayMs?: number;
  /** SignalR's own log level (default Warning). */
  logLevel?: LogLevel;
}

export const HUB_PATH = "/hubs/tasks";
const PAGE_SIZE = 200;
const SNAPSHOT_ATTEMPTS = 5;
const TASK_TYPES = new Set(["task_created", "task_updated", "task_completed"]);

/** Reconnects at once, then after 1 s, 2 s, ... up to the maximum, forever (the default gives up after four tries). */
class RetryForever implements IRetryPolicy {
  constructor(private readonly maxDelayMs: number) {}

  nextRetryDelayInMilliseconds(context: RetryContext): number {
    return Math.min(context.previousRetryCount * 1000, this.maxDelayMs);
  }
}

interface Page {
  items: WarehouseTask[];
  total: number;
  sequence: number | null;
}

/**
 * The current tasks of one warehouse, kept in step with the platform: the same protocol as the .NET client
 * (Warehouse.Client). Notifications are applied in order, one at a time; a sequence that skips means something was
 * missed, so the view reloads the warehouse over REST, as it does after every reconnect and after an import.
 * A gap is noticed at the next notification or reconnect; call `resync()` to check sooner (say, on page focus).
 */
export class WarehouseTaskView {
  private tasksById = new Map<string, WarehouseTask>();
  private queue: Promise<void> = Promise.resolve();
  private readonly changeListeners = new Set<(change: TaskChange) => void>();
  private readonly resyncListeners = new Set<(reason: ResyncReason) => void>();
  private readonly waiters = new Set<() => void>();
  private loaded = false;

  /** The last change applied: the warehouse's sequence the view reflects. */
  sequence = 0;
  /** How many times the view reloaded after the first load. */
  resyncs = 0;

  private constructor(
    private readonly options: WarehouseClientOptions,
    private readonly hub: HubConnection,
  ) {
    hub.on("notification", (notification: Notification) => {
      if (notification.warehouseId === options.warehouseId) {
        void this.enqueue(() => this.apply(notification));
      }
    });
    hub.onreconnected(() => {
      // Group membership belongs to the connection: join again, then catch up on what the outage swallowed.
      void this.enqueue(async () => {
        await hub.invoke("JoinWarehouse", options.warehouseId);
        await this.reload("reconnected");
      });
    });
  }

  /** Connects, joins the warehouse and loads its tasks; a refused token or warehouse rejects. */
  static async start(options: WarehouseClientOptions): Promise<WarehouseTaskView> {
    const hub = new HubConnectionBuilder()
      .withUrl(new URL(HUB_PATH, options.gateway).toString(), { accessTokenFactory: options.accessTokenFactory })
      .withAutomaticReconnect(new RetryForever(options.maxReconnectDelayMs ?? 5000))
      .configureLogging(options.logLevel ?? LogLevel.Warning)
      .build();
    const view = new WarehouseTaskView(options, hub);
    try {
      await hub.start();
      await hub.invoke("JoinWarehouse", options.warehouseId);
      await view.enqueue(() => view.ensureLoaded());
      return view;
    } catch (error) {
      await hub.stop();
      throw error;
    }
  }

  get warehouseId(): string {
    return this.options.warehouseId;
  }

  get connectionState(): HubConnectionState {
    return this.hub.state;
  }

  /** The warehouse's tasks by id, as of `sequence`. */
  get tasks(): ReadonlyMap<string, WarehouseTask> {
    return this.tasksById;
  }

  /** Calls the listener for every task change; returns a function that removes it. */
  onChange(listener: (change: TaskChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Calls the listener after every reload; returns a function that removes it. */
  onResync(listener: (reason: ResyncReason) => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Reloads the warehouse over REST now. */
  resync(): Promise<void> {
    return this.enqueue(() => this.reload("requested"));
  }

  /** Resolves when `condition` holds, checked now and after every change and reload; rejects after `timeoutMs`. */
  waitUntil(condition: (view: WarehouseTaskView) => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition(this)) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`condition not met within ${timeoutMs} ms (sequence ${this.sequence})`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    await this.hub.stop();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    // A failed step (say, a REST call during an outage) must not stop the steps after it.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async apply(notification: Notification): Promise<void> {
    await this.ensureLoaded();
    if (notification.sequence <= this.sequence) {
      return; // Already in the snapshot, or a duplicate.
    }
    if (notification.sequence !== this.sequence + 1) {
      return this.reload("gap");
    }
    if (!TASK_TYPES.has(notification.type)) {
      return this.reload("imported");
    }
    const task = notification.data as WarehouseTask;
    this.tasksById.set(task.id, task);
    this.sequence = notification.sequence;
    const change = { type: notification.type, task, sequence: notification.sequence };
    this.changeListeners.forEach((listener) => listener(change));
    this.notifyWaiters();
  }

  private async ensureLoaded(): Promise<void> {
    if (!this.loaded) {
      await this.replace();
      this.loaded = true;
      this.notifyWaiters();
    }
  }

  private async reload(reason: ResyncReason): Promise<void> {
    await this.replace();
    this.resyncs++;
    this.resyncListeners.forEach((listener) => listener(reason));
    this.notifyWaiters();
  }

  /** Reads every page; if a change lands between two pages their sequences differ and the read starts again. */
  private async replace(): Promise<void> {
    for (let attempt = 1; attempt <= SNAPSHOT_ATTEMPTS; attempt++) {
      const tasks = new Map<string, WarehouseTask>();
      let sequence: number | undefined;
      let consistent = true;
      for (let number = 1; ; number++) {
        const page = await this.page(number);
        sequence ??= page.sequence ?? 0;
        consistent = (page.sequence ?? 0) === sequence;
        page.items.forEach((task) => tasks.set(task.id, task));
        if (!consistent || page.items.length < PAGE_SIZE || number * PAGE_SIZE >= page.total) {
          break;
        }
      }
      if (consistent) {
        this.tasksById = tasks;
        this.sequence = sequence ?? 0;
        return;
      }
    }
    throw new Error(`warehouse ${this.options.warehouseId} changed during each of ${SNAPSHOT_ATTEMPTS} reads of its tasks`);
  }

  private async page(number: number): Promise<Page> {
    const url = new URL("/api/tasks", this.options.gateway);
    url.search = new URLSearchParams({
      warehouseId: this.options.warehouseId,
      page: String(number),
      pageSize: String(PAGE_SIZE),
    }).toString();
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${await this.options.accessTokenFactory()}` },
    });
    if (!response.ok) {
      throw new Error(`GET ${url.pathname} answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as Page;
  }

  private notifyWaiters(): void {
    [...this.waiters].forEach((check) => check());
  }
}
