using System.Linq.Expressions;
using LiteDB;

namespace ChatonsFed.Hosting.Storage;

/// <summary>
/// One typed collection of the data folder's LiteDB file, used only under the store's gate. LiteDB 5.0.20 is not safe for
/// reads concurrent with other reads or writes (its page cache can recycle a buffer that a reader is about to pin:
/// litedb-org/LiteDB issue 2817), so every call here takes the gate and hands back materialised results, never a
/// lazy query that would run outside it. The gate is re-entrant, so calls made inside
/// <see cref="DataStore.InTransaction"/> run as part of its transaction.
/// </summary>
public sealed class StoreTable<T>
{
    private readonly Lock _gate;
    private readonly Lazy<ILiteCollection<T>> _collection;
    private readonly Action? _inserted;
    private readonly Action? _changed;

    internal StoreTable(Lock gate, Func<ILiteCollection<T>> open, Action? inserted = null, Action? changed = null)
    {
        _gate = gate;
        // Opening maps the record type (compiled getters and setters): done on first use, not when the node starts.
        _collection = new Lazy<ILiteCollection<T>>(() =>
        {
            lock (gate)
            {
                return open();
            }
        });
        _inserted = inserted;
        _changed = changed;
    }

    private ILiteCollection<T> Collection => _collection.Value;

    public T? FindById(BsonValue id)
    {
        lock (_gate)
        {
            return Collection.FindById(id);
        }
    }

    public T? FindOne(Expression<Func<T, bool>> predicate)
    {
        lock (_gate)
        {
            return Collection.FindOne(predicate);
        }
    }

    public List<T> Find(Expression<Func<T, bool>> predicate)
    {
        lock (_gate)
        {
            return [.. Collection.Find(predicate)];
        }
    }

    public List<T> FindAll()
    {
        lock (_gate)
        {
            return [.. Collection.FindAll()];
        }
    }

    /// <summary>Runs a query under the gate; <paramref name="query"/> must materialise its result (ToList, First…).</summary>
    public TResult Query<TResult>(Func<ILiteQueryable<T>, TResult> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            return query(Collection.Query());
        }
    }

    public int Count()
    {
        lock (_gate)
        {
            return Collection.Count();
        }
    }

    public BsonValue Insert(T record)
    {
        BsonValue id;
        lock (_gate)
        {
            id = Collection.Insert(record);
        }

        _changed?.Invoke();
        _inserted?.Invoke();
        return id;
    }

    public int InsertBulk(IEnumerable<T> records)
    {
        int count;
        lock (_gate)
        {
            count = Collection.InsertBulk(records);
        }

        if (count > 0)
        {
            _changed?.Invoke();
            _inserted?.Invoke();
        }

        return count;
    }

    public bool Update(T record)
    {
        bool updated;
        lock (_gate)
        {
            updated = Collection.Update(record);
        }

        if (updated)
        {
            _changed?.Invoke();
        }

        return updated;
    }

    public bool Upsert(T record)
    {
        bool inserted;
        lock (_gate)
        {
            inserted = Collection.Upsert(record);
        }

        _changed?.Invoke();
        if (inserted)
        {
            _inserted?.Invoke();
        }

        return inserted;
    }

    public bool Delete(BsonValue id)
    {
        bool deleted;
        lock (_gate)
        {
            deleted = Collection.Delete(id);
        }

        if (deleted)
        {
            _changed?.Invoke();
        }

        return deleted;
    }
}
