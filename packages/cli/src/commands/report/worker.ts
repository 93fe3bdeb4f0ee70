// A worker thread's share of a large file: the lines that start in [start, end).
import { parentPort, workerData } from 'node:worker_threads';
import { openFile, readRecords } from '../../shared/records/read-records.js';
import { ReportAggregator } from './aggregate.js';
import type { PartOfFile } from './parallel.js';

const part = workerData as PartOfFile;
const aggregator = new ReportAggregator(part.dimensions, part.top);
await readRecords(openFile(part.file, part), aggregator);
parentPort?.postMessage(aggregator.snapshot());
