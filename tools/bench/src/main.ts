// Tusk's benchmark suite: runs every workload (one file each under workloads/) and prints its table.
import * as datarowDecode from './workloads/datarow-decode.js';
import * as extendedEncode from './workloads/extended-encode.js';

interface Workload {
  name: string;
  run(): Promise<string>;
}

const workloads: Workload[] = [
  { name: 'datarow-decode', run: datarowDecode.run },
  { name: 'extended-encode', run: extendedEncode.run },
];

const only = process.argv.slice(2);
for (const w of workloads) {
  if (only.length > 0 && !only.includes(w.name)) continue;
  console.log(`\n== ${w.name} ==`);
  console.log(await w.run());
}
