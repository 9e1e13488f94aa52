import {
  HubConnection,
  HubConnectionBuilder,
  HubConnectionState,
  IRetryPolicy,
  LogLevel,
  RetryContext,
} from "@microsoft/signalr";

/** A task as the task service returns it (`GET /api/tasks/snapshot`) and as notifications carry it. */
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

/**
 * The hub's `notification` message: the sequence rises by one per change of the warehouse. `publishedAt` (when the
 * change was put on the bus, absent from publishers that do not say) and `sentAt` (when the realtime worker began
 * sending it), ISO 8601, time its way to this client.
 */
export interface Notification {
  type: string;
  warehouseId: string;
  sequence: number;
  data: unknown;
  publishedAt?: string;
  sentAt?: string;
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
const PAGE_SIZE = 1000;
const TASK_TYPES = new Set(["task_created", "task_updated", "task_completed"]);

/** Reconnects at once, then after 1 s, 2 s, ... up to the maximum, forever (the default gives up after four tries). */
class RetryForever implements IRetryPolicy {
  constructor(private readonly maxDelayMs: number) {}

  nextRetryDelayInMilliseconds(context: RetryContext): number {
    return Math.min(context.previousRetryCount * 1000, this.maxDelayMs);
  }
}

/** One page of `GET /api/tasks/snapshot`: its items are the state at its sequence; `next` is the cursor of the next page. */
interface Page {
  items: WarehouseTask[];
  sequence: number;
  next: string | null;
}

/**
 * Keeps the newer of two copies of a task: every change raises its version by one, so the higher version is the
 * later state. Returns whether `task` was newer than what `tasks` held.
 */
function merge(tasks: Map<string, WarehouseTask>, task: WarehouseTask): boolean {
  const known = tasks.get(task.id);
  if (known && known.version >= task.version) {
    return false;
  }
  tasks.set(task.id, task);
  return true;
}

/**
 * The current tasks of one warehouse, kept in step with the platform: the same protocol as the .NET client
 * (Warehouse.Client). Notifications are applied in order, one at a time; a sequence that skips means something was
 * missed, so the view reloads the warehouse over REST, as it does after every reconnect and after an import.
 * The view loads the warehouse's open work (open, assigned, in progress), which stays small however many tasks the
 * warehouse has completed; tasks that complete afterwards stay in it with their final status, and `loadCompleted()`
 * adds the completed ones on demand. A gap is noticed at the next notification or reconnect; call `resync()` to check
 * sooner (say, on page focus).
 */
export class WarehouseTaskView {
  private tasksById = new Map<string, WarehouseTask>();
  private queue: Promise<void> = Promise.resolve();
  private readonly changeListeners = new Set<(change: TaskChange) => void>();
  private readonly resyncListeners = new Set<(reason: ResyncReason) => void>();
  private readonly waiters = new Set<() => void>();
  private loaded = false;
  private withCompleted = false;

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

  /**
   * The warehouse's open tasks by id, as of `sequence`, with those that completed since the view loaded and, after
   * `loadCompleted()`, every completed one.
   */
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

  /**
   * Adds the warehouse's done and cancelled tasks to `tasks`, and keeps them there across reloads. They are final
   * (no status leaves done or cancelled), so they need no notification to stay current.
   */
  loadCompleted(): Promise<void> {
    return this.enqueue(async () => {
      const { tasks } = await this.read(true);
      tasks.forEach((task) => merge(this.tasksById, task));
      this.withCompleted = true;
      this.notifyWaiters();
    });
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
    // A page read after the snapshot's first may already hold this change, or a later one of the same task.
    const newer = merge(this.tasksById, task);
    this.sequence = notification.sequence;
    if (newer) {
      const change = { type: notification.type, task, sequence: notification.sequence };
      this.changeListeners.forEach((listener) => listener(change));
    }
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

  /** Replaces the view with the open tasks (and the completed ones, once asked for) at the first page's sequence. */
  private async replace(): Promise<void> {
    const open = await this.read(false);
    const tasks = new Map(open.tasks.map((task) => [task.id, task]));
    if (this.withCompleted) {
      // Read after the open ones: a task in both completed in between, and the higher version is its final state.
      (await this.read(true)).tasks.forEach((task) => merge(tasks, task));
    }
    this.tasksById = tasks;
    this.sequence = open.sequence;
  }

  /**
   * Reads the open (or completed) tasks page by page from a keyset cursor. Each page is the state at its own
   * sequence, and later pages may be at a later one when the warehouse changes during the read; the result's sequence
   * is the first page's. Every change after it still arrives as a notification, and one a later page already holds is
   * recognised by the task's version (`merge`): a change made during the read is neither lost nor applied twice.
   */
  private async read(completed: boolean): Promise<{ tasks: WarehouseTask[]; sequence: number }> {
    const tasks: WarehouseTask[] = [];
    let sequence: number | undefined;
    let after: string | null = null;
    do {
      const page: Page = await this.page(completed, after);
      sequence ??= page.sequence;
      tasks.push(...page.items);
      after = page.next;
    } while (after !== null);
    return { tasks, sequence: sequence ?? 0 };
  }

  private async page(completed: boolean, after: string | null): Promise<Page> {
    const url = new URL("/api/tasks/snapshot", this.options.gateway);
    const query = new URLSearchParams({ warehouseId: this.options.warehouseId, limit: String(PAGE_SIZE) });
    if (completed) {
      query.set("completed", "true");
    }
    if (after !== null) {
      query.set("after", after);
    }
    url.search = query.toString();
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
