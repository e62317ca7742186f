using System.Threading.Channels;

namespace ChatonsFed.Aggregator.Crawling;

/// <summary>
/// Gathers items from many tasks and writes them in batches on one task, so that a crawl of a thousand chatons pays
/// for a few dozen transactions rather than a thousand. Each caller gets the result of its own item.
/// </summary>
internal sealed class BatchWriter<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<(TItem Item, TaskCompletionSource<TResult> Done)> _queue =
        Channel.CreateUnbounded<(TItem, TaskCompletionSource<TResult>)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Func<IReadOnlyList<TItem>, IReadOnlyList<TResult>> _write;
    private readonly int _maxBatch;
    private readonly Task _loop;

    private readonly TimeSpan _gather;

    /// <param name="gather">How long to wait for more items once one came: each batch is a commit to disk, so fewer is faster.</param>
    public BatchWriter(Func<IReadOnlyList<TItem>, IReadOnlyList<TResult>> write, int maxBatch = 256, TimeSpan gather = default)
    {
        _write = write;
        _maxBatch = maxBatch;
        _gather = gather;
        _loop = Task.Run(RunAsync);
    }

    public Task<TResult> WriteAsync(TItem item)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((item, done)))
        {
            done.SetException(new ObjectDisposedException(nameof(BatchWriter<TItem, TResult>)));
        }

        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<(TItem Item, TaskCompletionSource<TResult> Done)>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            if (_gather > TimeSpan.Zero)
            {
                await Task.Delay(_gather).ConfigureAwait(false);
            }

            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            try
            {
                var results = _write([.. batch.Select(b => b.Item)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.SetResult(results[i]);
                }
            }
#pragma warning disable CA1031 // The failure goes to every caller of the batch.
            catch (Exception e)
#pragma warning restore CA1031
            {
                foreach (var entry in batch)
                {
                    entry.Done.TrySetException(e);
                }
            }
        }
    }
}
