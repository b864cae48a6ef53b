// The baselines' only activity: does nothing, so what is measured is Temporal.
export const baselineActivities = {
  async noop(): Promise<void> {
    // nothing
  },
};

export type BaselineActivities = typeof baselineActivities;
