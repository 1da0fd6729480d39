using System.Reflection;
using System.Reflection.Emit;

namespace Reconciler.Core.Tests.Architecture;

/// <summary>
/// Which types each type of an assembly uses: its base type, interfaces, fields, method signatures and locals, and
/// every type, method and field its method bodies name (read from the IL). Constants are inlined by the compiler, so
/// using one is no reference; everything else a type needs at run time is.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Every (user, used) pair of types in <paramref name="assembly"/>, the used type possibly in another assembly.</summary>
    public static IReadOnlyList<(Type From, Type To)> Of(Assembly assembly)
    {
        var pairs = new HashSet<(Type, Type)>();
        foreach (var type in assembly.GetTypes())
        {
            var used = new HashSet<Type>();
            void Add(Type? t) => Expand(t, used);

            Add(type.BaseType);
            foreach (var i in type.GetInterfaces()) Add(i);
            foreach (var f in type.GetFields(Declared)) Add(f.FieldType);
            foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                if (method is MethodInfo info) Add(info.ReturnType);
                foreach (var p in method.GetParameters()) Add(p.ParameterType);
                foreach (var member in BodyReferences(method))
                {
                    Add(member as Type ?? member.DeclaringType);
                    // A generic method's type arguments are named at the call (OfType<FileResource>()).
                    if (member is MethodInfo { IsGenericMethod: true } generic)
                    {
                        foreach (var argument in generic.GetGenericArguments()) Add(argument);
                    }
                }

                foreach (var local in method.GetMethodBody()?.LocalVariables ?? []) Add(local.LocalType);
            }

            pairs.UnionWith(used.Select(u => (type, u)));
        }

        return pairs.ToList();
    }

    /// <summary>A type and every type it is built from (array elements, generic arguments).</summary>
    private static void Expand(Type? type, HashSet<Type> into)
    {
        while (type is not null && (type.HasElementType))
        {
            type = type.GetElementType();
        }

        if (type is null || type.IsGenericParameter || !into.Add(type.IsGenericType ? type.GetGenericTypeDefinition() : type))
        {
            return;
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments()) Expand(argument, into);
        }
    }

    /// <summary>The members a method body names in its IL (calls, field accesses, type tokens).</summary>
    private static IEnumerable<MemberInfo> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var value = (short)il[at++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[at++]);
            }

            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    if (member is not null) yield return member;
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + 4 * BitConverter.ToInt32(il, at);
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                default:
                    at += 4; // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                    break;
            }
        }
    }
}
