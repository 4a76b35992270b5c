import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';

// CI runs everything on 2 cores at once: wait on conditions generously (they return as soon as they hold).
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});
