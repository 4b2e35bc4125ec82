import { BlobServiceClient, type BlockBlobClient } from '@azure/storage-blob';
import { credential, type ResolvedStorage, serviceUrl } from './account.js';
import { statusOf, toStorageError } from './errors.js';

/** Azure blob leases last 15-60 seconds unless renewed. */
export const LEASE_SECONDS = 15;

/**
 * A blob lease that says which instance runs the scheduler. Only the holder enqueues due work, so several
 * instances behind App Service never enqueue the same broadcast twice. A holder that dies loses the lease
 * within `LEASE_SECONDS` and another instance takes over.
 */
export class SchedulerLease {
  private leaseId: string | undefined;

  constructor(private readonly blob: BlockBlobClient) {}

  /** True while this instance holds the lease: renews it if held, tries to take it if not. */
  async hold(): Promise<boolean> {
    const lease = this.blob.getBlobLeaseClient(this.leaseId);
    try {
      if (this.leaseId === undefined) {
        const acquired = await lease.acquireLease(LEASE_SECONDS);
        this.leaseId = acquired.leaseId;
      } else {
        await lease.renewLease();
      }
      return true;
    } catch (error) {
      const status = statusOf(error);
      // 409: someone else holds it (or ours expired and was taken). Not an error, just not our turn.
      if (status === 409 || status === 412) {
        this.leaseId = undefined;
        return false;
      }
      throw toStorageError('holding the scheduler lease', error);
    }
  }

  /** Lets another instance take over at once instead of after the lease runs out. */
  async release(): Promise<void> {
    if (this.leaseId === undefined) return;
    try {
      await this.blob.getBlobLeaseClient(this.leaseId).releaseLease();
    } catch {
      // It expires by itself within LEASE_SECONDS; shutting down must not fail over this.
    }
    this.leaseId = undefined;
  }
}

export const leaseContainerName = (prefix: string) => `${prefix.toLowerCase()}-leases`;

export async function openSchedulerLease(storage: ResolvedStorage, prefix: string): Promise<SchedulerLease> {
  const service =
    storage.kind === 'connectionString'
      ? BlobServiceClient.fromConnectionString(storage.connectionString)
      : new BlobServiceClient(serviceUrl(storage.accountName, 'blob'), credential(storage.clientId));
  const container = service.getContainerClient(leaseContainerName(prefix));
  const blob = container.getBlockBlobClient('scheduler');
  try {
    await container.createIfNotExists();
    if (!(await blob.exists())) await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } });
  } catch (error) {
    // Two instances starting together may both try to create the blob; one 409/412 is expected.
    const status = statusOf(error);
    if (status !== 409 && status !== 412) throw toStorageError('creating the scheduler lease blob', error);
  }
  return new SchedulerLease(blob);
}
