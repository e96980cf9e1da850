export * from './relay.ts';
export { rejectionOf } from './kafka-rejections.ts';
export { listenForOutbox } from './outbox-listener.ts';
export { listFailedRows, requeueFailedRows, type FailedOutboxRow } from './outbox-rows.ts';
