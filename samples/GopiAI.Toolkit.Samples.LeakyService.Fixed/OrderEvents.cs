namespace GopiAI.Toolkit.Samples.LeakyService.Fixed;

/// <summary>A process-wide event hub.</summary>
internal static class OrderEvents
{
    public static event EventHandler<Order>? OrderPlaced;

    public static int SubscriberCount => OrderPlaced?.GetInvocationList().Length ?? 0;

    public static void Publish(Order order) => OrderPlaced?.Invoke(null, order);
}

/// <summary>Tracks one order's progress; unsubscribes from the static event when disposed (the GOPI2003 fix).</summary>
internal sealed class OrderTracker : IDisposable
{
    private readonly string _orderId;
    private int _updates;

    public OrderTracker(string orderId)
    {
        _orderId = orderId;
        OrderEvents.OrderPlaced += OnOrderPlaced;
    }

    public int Updates => _updates;

    public void Dispose() => OrderEvents.OrderPlaced -= OnOrderPlaced;

    private void OnOrderPlaced(object? sender, Order order)
    {
        if (order.Id == _orderId)
        {
            _updates++;
        }
    }
}
