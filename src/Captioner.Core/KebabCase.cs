using System.Text.Json;

namespace Captioner.Core;

/// <summary>An enum value as the word <see cref="KebabCaseEnumConverter{TEnum}"/> writes for it, for logs and keys.</summary>
public static class KebabCase
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
