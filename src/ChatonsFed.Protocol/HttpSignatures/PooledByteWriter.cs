using System.Buffers;
using System.Text;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>Collects signature-base bytes in a buffer rented from the shared pool; return it with Dispose.</summary>
internal sealed class PooledByteWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public PooledByteWriter(int initialCapacity = 1024) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public void Clear() => _length = 0;

    public PooledByteWriter Append(string text) => Append(text.AsSpan());

    public PooledByteWriter Append(ReadOnlySpan<char> text)
    {
        if (Ascii.IsValid(text))
        {
            Ensure(text.Length);
            Ascii.FromUtf16(text, _buffer.AsSpan(_length), out var written);
            _length += written;
            return this;
        }

        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
        return this;
    }

    public PooledByteWriter Append(char asciiChar)
    {
        Ensure(1);
        _buffer[_length++] = (byte)asciiChar;
        return this;
    }

    public void TruncateTo(int length) => _length = length;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
