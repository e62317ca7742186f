using LiteDB;
using ChatonsFed.Hosting.Storage;

namespace ChatonsFed.Aggregator.Storage;

/// <summary>
/// The fresh LiteDB file a rebuild writes into, beside the store's, while the store's own file stays open and
/// untouched. Its commits are not forced to disk one by one (LiteDB asks for it after every page its writer
/// thread catches up with, thousands of times for a rebuild of a thousand chatons): nothing reads this file before
/// <see cref="Complete"/> has flushed it, and a crash before then leaves only a leftover that the next rebuild
/// overwrites.
/// </summary>
internal sealed class RebuildFile : IDisposable
{
    private readonly UnforcedStream _data;
    private const string CheckpointPragma = "CHECKPOINT";

    private readonly UnforcedStream _log;
    private readonly BsonValue _checkpoint = BsonValue.Null;

    private RebuildFile(string path, LiteDatabase previous)
    {
        Path = path;
        Previous = previous;
        _data = UnforcedStream.Create(path);
        try
        {
            _log = UnforcedStream.Create(StoreFile.LogFileOf(System.IO.Path.GetFullPath(path)));
            Database = new LiteDatabase(_data, new BsonMapper(), _log);

            // One checkpoint at the end rather than one each time the log passes its limit.
            _checkpoint = Database.Pragma(CheckpointPragma);
            Database.Pragma(CheckpointPragma, 0);
        }
        catch
        {
            _log?.Dispose();
            _data.Dispose();
            throw;
        }
    }

    /// <summary>The new file, renamed over the store's when complete.</summary>
    public string Path { get; }

    /// <summary>The store's database, open (and its file locked) until the new file takes its place.</summary>
    public LiteDatabase Previous { get; }

    public LiteDatabase Database { get; }

    /// <summary>Starts a rebuild file for the store at <paramref name="storePath"/>, replacing any leftover of an earlier one.</summary>
    public static RebuildFile Create(string storePath, LiteDatabase previous)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(storePath))!;
        return new RebuildFile(System.IO.Path.Combine(directory, System.IO.Path.GetFileNameWithoutExtension(storePath) + ".rebuild" + System.IO.Path.GetExtension(storePath)), previous);
    }

    /// <summary>
    /// Completes the file and puts it in place of the store's at <paramref name="storePath"/>, whose database
    /// (<see cref="Previous"/>) is checkpointed and closed first.
    /// </summary>
    public void ReplaceStore(string storePath)
    {
        Complete();
        Previous.Checkpoint();
        Previous.Dispose();

        // The previous file's log is empty after its checkpoint; a leftover must not be replayed onto the new file.
        File.Delete(StoreFile.LogFileOf(System.IO.Path.GetFullPath(storePath)));
        File.Move(Path, storePath, overwrite: true);
    }

    public void Dispose()
    {
        Database.Dispose();
        _log.Dispose();
        _data.Dispose();
    }

    /// <summary>Moves every committed page into the data file, forces it to disk and closes it; the log is removed.</summary>
    private void Complete()
    {
        Database.Pragma(CheckpointPragma, _checkpoint);
        Database.Checkpoint();
        Database.Dispose();
        _data.Force();
        Dispose();
        File.Delete(StoreFile.LogFileOf(System.IO.Path.GetFullPath(Path)));
    }

    /// <summary>A file whose <see cref="Flush"/> hands the bytes to the system without waiting for the disk.</summary>
    private sealed class UnforcedStream(FileStream file) : Stream
    {
        public override bool CanRead => file.CanRead;

        public override bool CanSeek => file.CanSeek;

        public override bool CanWrite => file.CanWrite;

        public override long Length => file.Length;

        public override long Position
        {
            get => file.Position;
            set => file.Position = value;
        }

        public static UnforcedStream Create(string path) =>
            new(new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 8192, FileOptions.RandomAccess));

        /// <summary>Waits until the disk holds every byte written.</summary>
        public void Force() => file.Flush(flushToDisk: true);

        public override void Flush() => file.Flush(flushToDisk: false);

        public override int Read(byte[] buffer, int offset, int count) => file.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

        public override void SetLength(long value) => file.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count) => file.Write(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
