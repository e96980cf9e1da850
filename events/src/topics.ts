/**
 * The project's Kafka topics: the one list that the local stack, docker-compose
 * and every producer/consumer read. Messages are keyed by aggregate id, so one
 * aggregate's events stay ordered within its partition.
 */
export interface TopicSpec {
  name: string;
  partitions: number;
  /** What flows on it and what the message key is. */
  description: string;
  config?: Record<string, string>;
}

export const TOPICS = {
  products: {
    name: 'catalog.products',
    partitions: 3,
    description: 'ProductCreated/Updated/Deleted, keyed by product id',
  },
  sellers: {
    name: 'catalog.sellers',
    partitions: 3,
    description: 'SellerCreated/Updated/Deleted, keyed by seller id',
  },
  reviews: {
    name: 'catalog.reviews',
    partitions: 3,
    description: 'ReviewCreated/Updated/Deleted, keyed by product id',
  },
  stock: {
    name: 'catalog.stock',
    partitions: 3,
    description: 'StockReserved/StockRejected/StockReleased/StockRestocked, keyed by order id',
  },
  orders: {
    name: 'orders',
    partitions: 3,
    description:
      'OrderPlaced/OrderCompleted/OrderCancelled, fulfilment (OrderPacked/OrderShipped/OrderDelivered/ParcelLost) and returns (ReturnRequested/ReturnApproved/ReturnRejected/ReturnReceived), keyed by order id',
  },
  payments: {
    name: 'payments',
    partitions: 3,
    description: 'PaymentAuthorized/PaymentFailed/PaymentRefunded, keyed by order id',
  },
  users: {
    name: 'users',
    partitions: 3,
    description: 'UserRegistered/UserUpdated, keyed by user id',
  },
  productViews: {
    name: 'analytics.product-views',
    partitions: 3,
    description: 'ProductViewed, keyed by product id',
  },
  deadLetters: {
    name: 'dead-letters',
    partitions: 1,
    description:
      'Messages a consumer gave up on, with the error and the source topic/partition/offset',
    config: { 'retention.ms': String(30 * 24 * 3600 * 1000) },
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof TOPICS;

/** The topics the order saga reads and writes; tests and benchmarks pass private ones. */
export interface SagaTopics {
  orders: string;
  stock: string;
  payments: string;
}

export const SAGA_TOPICS: SagaTopics = {
  orders: TOPICS.orders.name,
  stock: TOPICS.stock.name,
  payments: TOPICS.payments.name,
};

export const ALL_TOPICS: TopicSpec[] = Object.values(TOPICS);
