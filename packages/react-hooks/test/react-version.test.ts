import { version as reactVersion } from 'react';
import { version as reactDomVersion } from 'react-dom';
import { expect, test } from 'vitest';

// The suite runs once per React major (see vitest.config.ts). This proves each run really renders
// with the React it is named after, and with the react-dom of that same version.
test('runs on the React major its project is named after, with a matching react-dom', ({
  task,
}) => {
  const major = task.file.projectName?.replace('react', '');
  expect(major === '18' || major === '19').toBe(true);
  expect(reactVersion.split('.')[0]).toBe(major);
  expect(reactDomVersion).toBe(reactVersion);
});
