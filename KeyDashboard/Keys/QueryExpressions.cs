using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;

namespace KeyDashboard.Keys;

/// <summary>Puts rules written as expressions together into one expression that EF Core translates whole.</summary>
internal static class QueryExpressions
{
    /// <summary>
    /// The rule with its moment fixed. The moment goes in as a captured variable rather than a constant, so EF Core
    /// sends it as a parameter and compiles the query once for every moment.
    /// </summary>
    public static Expression<Func<T, TResult>> At<T, TResult>(this Expression<Func<T, DateTimeOffset, TResult>> rule, DateTimeOffset now)
    {
        Expression<Func<DateTimeOffset>> moment = () => now;
        var item = rule.Parameters[0];
        return Expression.Lambda<Func<T, TResult>>(BodyOf(rule, item, moment.Body), item);
    }

    public static Expression<Func<T, bool>> Or<T>(Expression<Func<T, bool>> first, Expression<Func<T, bool>> second) =>
        Expression.Lambda<Func<T, bool>>(Expression.OrElse(first.Body, BodyOf(second, first.Parameters[0])), first.Parameters);

    /// <summary><paramref name="lambda"/> with its second and third arguments worked out from its first by <paramref name="second"/> and <paramref name="third"/>.</summary>
    public static Expression<Func<T, TResult>> Apply<T, T2, T3, TResult>(this Expression<Func<T, T2, T3, TResult>> lambda,
        Expression<Func<T, T2>> second, Expression<Func<T, T3>> third)
    {
        var item = lambda.Parameters[0];
        return Expression.Lambda<Func<T, TResult>>(BodyOf(lambda, item, BodyOf(second, item), BodyOf(third, item)), item);
    }

    /// <summary>The body of <paramref name="lambda"/> with its parameters replaced by <paramref name="arguments"/>.</summary>
    public static Expression BodyOf(LambdaExpression lambda, params Expression[] arguments) =>
        new ReplacingExpressionVisitor(lambda.Parameters, arguments).Visit(lambda.Body);
}
