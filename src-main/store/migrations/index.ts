// Every schema step in order. Append new steps; never edit or reorder released ones.
import { migration001 } from './001-initial';
import { migration002 } from './002-label-split-covering';
import { migration003 } from './003-review-reverts';
import { migration004 } from './004-import-skip-reasons';
import { migration005 } from './005-score-kinds';
import { migration006 } from './006-patch-scale';
import { migration007 } from './007-recon-z';
import { migration008 } from './008-recall-thresholds';
import { migration009 } from './009-capture-shift';
import { migration010 } from './010-follows';
import { migration011 } from './011-lot-indexes';
import { migration012 } from './012-day-start';
import { migration013 } from './013-imported-models';
import { migration014 } from './014-reviewer';
import { migration015 } from './015-review-undoes';
import { migration016 } from './016-removed-reviews';
import { migration017 } from './017-images-by-project';
import type { Migration } from './migration';

export type { Migration } from './migration';

export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015, migration016, migration017];

export const latestVersion = migrations[migrations.length - 1].version;
