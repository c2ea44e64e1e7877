using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace GopiAI.Toolkit;

/// <summary>
/// Argument guards used across the toolkit. Each throws an <see cref="ArgumentException"/> (or a subclass) whose
/// <see cref="ArgumentException.ParamName"/> names the offending argument and whose message says why it was rejected.
/// </summary>
public static class Throw
{
    /// <summary>Throws when <paramref name="value"/> is <see langword="null"/>.</summary>
    /// <typeparam name="T">The argument type.</typeparam>
    /// <param name="value">The argument to check.</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns><paramref name="value"/>, so the guard can be used inline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static T IfNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value is null)
        {
            ThrowNull(paramName);
        }

        return value;
    }

    /// <summary>Throws when <paramref name="value"/> is <see langword="null"/>, empty or only white space.</summary>
    /// <param name="value">The string argument to check.</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns><paramref name="value"/>, so the guard can be used inline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or white space.</exception>
    public static string IfNullOrWhiteSpace([NotNull] string? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value is null)
        {
            ThrowNull(paramName);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("The value must not be empty or white space.", paramName);
        }

        return value;
    }

    /// <summary>Throws when <paramref name="value"/> is zero or negative.</summary>
    /// <param name="value">The number to check.</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not positive.</exception>
    public static int IfNotPositive(int value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "The value must be greater than zero.");
        }

        return value;
    }

    /// <summary>Throws when <paramref name="value"/> is zero or negative.</summary>
    /// <param name="value">The number to check.</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not positive.</exception>
    public static long IfNotPositive(long value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "The value must be greater than zero.");
        }

        return value;
    }

    /// <summary>Throws when <paramref name="value"/> is negative.</summary>
    /// <param name="value">The number to check.</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public static int IfNegative(int value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "The value must not be negative.");
        }

        return value;
    }

    /// <summary>Throws when <paramref name="value"/> is not a finite number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="value">The number to check.</param>
    /// <param name="min">The smallest accepted value.</param>
    /// <param name="max">The largest accepted value.</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or outside the range.</exception>
    public static double IfOutOfRange(double value, double min, double max, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"The value must be between {min} and {max}.");
        }

        return value;
    }

    /// <summary>
    /// Throws when <paramref name="value"/> is zero or negative. <see cref="Timeout.InfiniteTimeSpan"/> is accepted
    /// only when <paramref name="allowInfinite"/> is <see langword="true"/>.
    /// </summary>
    /// <param name="value">The duration to check.</param>
    /// <param name="allowInfinite">Whether <see cref="Timeout.InfiniteTimeSpan"/> means "never".</param>
    /// <param name="paramName">The argument name (filled in by the compiler).</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a positive duration.</exception>
    public static TimeSpan IfNotPositive(TimeSpan value, bool allowInfinite = false, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (allowInfinite && value == Timeout.InfiniteTimeSpan)
        {
            return value;
        }

        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "The duration must be greater than zero.");
        }

        return value;
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> when <paramref name="disposed"/> is <see langword="true"/>.</summary>
    /// <param name="disposed">Whether the instance has been disposed.</param>
    /// <param name="instance">The instance whose type name goes into the message.</param>
    /// <exception cref="ObjectDisposedException"><paramref name="disposed"/> is <see langword="true"/>.</exception>
    public static void IfDisposed([DoesNotReturnIf(true)] bool disposed, object instance)
    {
        if (disposed)
        {
            throw new ObjectDisposedException(instance.GetType().FullName);
        }
    }

    [DoesNotReturn]
    private static void ThrowNull(string? paramName) =>
        throw new ArgumentNullException(paramName, "The value must not be null.");
}
