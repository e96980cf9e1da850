import { runSync, which } from './process.ts';

/** Major version of `java` on PATH, or undefined when there is none. */
export function javaMajor(): number | undefined {
  if (!which('java')) return undefined;
  const out = runSync('java', ['-version']).out;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(out);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2]) : major; // "1.8.0" style
}

export function javaPrereqs(svc: string, minMajor: number, needMaven: boolean): string[] {
  const problems: string[] = [];
  const major = javaMajor();
  if (major === undefined)
    problems.push(
      `${svc}: \`java\` not found — install a JDK ${minMajor}+: apt-get install -y openjdk-17-jdk-headless`,
    );
  else if (major < minMajor)
    problems.push(
      `${svc}: needs Java ${minMajor}+, found Java ${major} — apt-get install -y openjdk-17-jdk-headless`,
    );
  if (needMaven && !which('mvn'))
    problems.push(
      `${svc}: \`mvn\` not found (needed once to fetch jars) — install it: apt-get install -y maven`,
    );
  return problems;
}
