export const orgTasks = [];
