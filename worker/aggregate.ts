// TEMPORARY re-export while the worker tests are being written; removed in the next commit.
export * from "../shared/metrics/aggregate";
