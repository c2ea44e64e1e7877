namespace GopiAI.Toolkit.Samples.LeakyService;

/// <summary>A process-wide event hub.</summary>
internal static class OrderEvents
{
    public static event EventHandler<Order>? OrderPlaced;

    public static int SubscriberCount => OrderPlaced?.GetInvocationList().Length ?? 0;

    public static void Publish(Order order) => OrderPlaced?.Invoke(null, order);
}

/// <summary>Tracks one order's progress; one instance per order.</summary>
internal sealed class OrderTracker
{
    private readonly string _orderId;
    private int _updates;

    public OrderTracker(string orderId)
    {
        _orderId = orderId;

        // The static event now references this tracker for ever: it is never garbage collected.
        OrderEvents.OrderPlaced += OnOrderPlaced; // expect: GOPI2003
    }

    public int Updates => _updates;

    private void OnOrderPlaced(object? sender, Order order)
    {
        if (order.Id == _orderId)
        {
            _updates++;
        }
    }
}
