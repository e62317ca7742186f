using System.Buffers;
using System.Text.Unicode;

namespace ChatonsFed.Protocol.Json;

/// <summary>Appends canonical JSON tokens to an <see cref="IBufferWriter{T}"/>, asking it for memory in chunks.</summary>
internal ref struct CanonicalOutput
{
    private const int ChunkSize = 1024;

    private static readonly SearchValues<char> CharsToEscape = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\");

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    private readonly IBufferWriter<byte> _writer;
    private Span<byte> _span;
    private int _position;

    public CanonicalOutput(IBufferWriter<byte> writer)
    {
        _writer = writer;
        _span = default;
        _position = 0;
    }

    public void Flush()
    {
        if (_position > 0)
        {
            _writer.Advance(_position);
            _position = 0;
        }

        _span = default;
    }

    public void WriteByte(byte value)
    {
        if (_position >= _span.Length)
        {
            Grow(1);
        }

        _span[_position++] = value;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (_span.Length - _position < bytes.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_span[_position..]);
        _position += bytes.Length;
    }

    public void WriteNumber(double value)
    {
        if (_span.Length - _position < EcmaScriptNumber.MaxLength)
        {
            Grow(EcmaScriptNumber.MaxLength);
        }

        _position += EcmaScriptNumber.Format(value, _span[_position..]);
    }

    /// <summary>Writes a quoted JSON string with only the escapes RFC 8785 allows.</summary>
    public void WriteString(scoped ReadOnlySpan<char> text)
    {
        WriteByte((byte)'"');
        while (true)
        {
            var stop = text.IndexOfAny(CharsToEscape);
            var run = stop < 0 ? text : text[..stop];
            if (!run.IsEmpty)
            {
                WriteUtf8(run);
            }

            if (stop < 0)
            {
                break;
            }

            WriteEscape(text[stop]);
            text = text[(stop + 1)..];
        }

        WriteByte((byte)'"');
    }

    /// <summary>Writes a string already in UTF-8 that is known to need no escaping.</summary>
    public void WriteUnescapedUtf8String(scoped ReadOnlySpan<byte> utf8)
    {
        if (_span.Length - _position < utf8.Length + 2)
        {
            Grow(utf8.Length + 2);
        }

        _span[_position++] = (byte)'"';
        utf8.CopyTo(_span[_position..]);
        _position += utf8.Length;
        _span[_position++] = (byte)'"';
    }

    private void WriteUtf8(scoped ReadOnlySpan<char> run)
    {
        var needed = checked(run.Length * 3);
        if (_span.Length - _position < needed)
        {
            Grow(needed);
        }

        var status = Utf8.FromUtf16(run, _span[_position..], out _, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            throw new ProtocolFormatException("a JSON string holds an unpaired UTF-16 surrogate, which RFC 8785 cannot represent");
        }

        _position += written;
    }

    private void WriteEscape(char c)
    {
        if (_span.Length - _position < 6)
        {
            Grow(6);
        }

        var s = _span[_position..];
        s[0] = (byte)'\\';
        switch (c)
        {
            case '"': s[1] = (byte)'"'; _position += 2; return;
            case '\\': s[1] = (byte)'\\'; _position += 2; return;
            case '\b': s[1] = (byte)'b'; _position += 2; return;
            case '\t': s[1] = (byte)'t'; _position += 2; return;
            case '\n': s[1] = (byte)'n'; _position += 2; return;
            case '\f': s[1] = (byte)'f'; _position += 2; return;
            case '\r': s[1] = (byte)'r'; _position += 2; return;
            default:
                s[1] = (byte)'u';
                s[2] = (byte)'0';
                s[3] = (byte)'0';
                s[4] = HexDigits[c >> 4];
                s[5] = HexDigits[c & 0xF];
                _position += 6;
                return;
        }
    }

    private void Grow(int needed)
    {
        if (_position > 0)
        {
            _writer.Advance(_position);
            _position = 0;
        }

        _span = _writer.GetSpan(Math.Max(needed, ChunkSize));
    }
}
