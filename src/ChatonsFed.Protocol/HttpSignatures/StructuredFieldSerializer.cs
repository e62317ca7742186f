using System.Globalization;
using System.Text;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>Serializes RFC 8941 structured field values in their canonical form.</summary>
public static class StructuredFieldSerializer
{
    public static string Serialize(StructuredDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        var builder = new StringBuilder();
        AppendDictionary(builder, dictionary);
        return builder.ToString();
    }

    public static string Serialize(IReadOnlyList<StructuredMember> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var builder = new StringBuilder();
        AppendList(builder, list);
        return builder.ToString();
    }

    public static string Serialize(StructuredMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var builder = new StringBuilder();
        AppendMember(builder, member);
        return builder.ToString();
    }

    public static string Serialize(BareItem item)
    {
        var builder = new StringBuilder();
        AppendBareItem(builder, item);
        return builder.ToString();
    }

    public static void AppendDictionary(StringBuilder builder, StructuredDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dictionary);
        for (var i = 0; i < dictionary.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            var (key, member) = dictionary[i];
            builder.Append(key);
            if (member is StructuredItem { Value: { Kind: BareItemKind.Boolean, AsBoolean: true } } item)
            {
                AppendParameters(builder, item.Parameters);
            }
            else
            {
                builder.Append('=');
                AppendMember(builder, member);
            }
        }
    }

    public static void AppendList(StringBuilder builder, IReadOnlyList<StructuredMember> list)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(list);
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            AppendMember(builder, list[i]);
        }
    }

    public static void AppendMember(StringBuilder builder, StructuredMember member)
    {
        ArgumentNullException.ThrowIfNull(builder);
        switch (member)
        {
            case StructuredItem item:
                AppendBareItem(builder, item.Value);
                break;
            case InnerList list:
                builder.Append('(');
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(' ');
                    }

                    AppendMember(builder, list.Items[i]);
                }

                builder.Append(')');
                break;
            default:
                throw new ArgumentException("unknown member type", nameof(member));
        }

        AppendParameters(builder, member.Parameters);
    }

    public static void AppendParameters(StringBuilder builder, StructuredParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (key, value) in parameters)
        {
            builder.Append(';').Append(key);
            if (value.Kind != BareItemKind.Boolean || !value.AsBoolean)
            {
                builder.Append('=');
                AppendBareItem(builder, value);
            }
        }
    }

    public static void AppendBareItem(StringBuilder builder, BareItem item)
    {
        ArgumentNullException.ThrowIfNull(builder);
        switch (item.Kind)
        {
            case BareItemKind.Integer:
                builder.Append(item.AsInteger.ToString(CultureInfo.InvariantCulture));
                break;
            case BareItemKind.Decimal:
                var rounded = decimal.Round(item.AsDecimal, 3, MidpointRounding.ToEven);
                var text = rounded.ToString("0.0##", CultureInfo.InvariantCulture);
                builder.Append(text);
                break;
            case BareItemKind.String:
                builder.Append('"');
                foreach (var c in item.AsText)
                {
                    if (c is '"' or '\\')
                    {
                        builder.Append('\\');
                    }

                    builder.Append(c);
                }

                builder.Append('"');
                break;
            case BareItemKind.Token:
                builder.Append(item.AsText);
                break;
            case BareItemKind.ByteSequence:
                builder.Append(':').Append(Convert.ToBase64String(item.AsBytes.Span)).Append(':');
                break;
            case BareItemKind.Boolean:
                builder.Append(item.AsBoolean ? "?1" : "?0");
                break;
            default:
                throw new ArgumentException("unknown bare item kind", nameof(item));
        }
    }
}
