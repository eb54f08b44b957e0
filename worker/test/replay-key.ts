// The throwaway REPLAY_KEY the Worker tests run with (worker/vitest.config.ts): the test clients use it to
// know which trajectory segments the server will replay. Production sets its own as a Worker secret.
export const TEST_REPLAY_KEY = "test-replay-key-not-a-secret";
