// The \if / \elif / \else / \endif stack: which branch is live, and whether input is skipped.

export type BranchState =
  | 'true' // in a branch being executed
  | 'false' // condition false so far; a later \elif/\else may still run
  | 'ignored' // inside an inactive outer branch, or a branch already taken
  | 'else-true'
  | 'else-false';

export class ConditionalStack {
  private readonly stack: BranchState[] = [];

  active(): boolean {
    const top = this.stack[this.stack.length - 1];
    return top === undefined || top === 'true' || top === 'else-true';
  }

  empty(): boolean {
    return this.stack.length === 0;
  }

  depth(): number {
    return this.stack.length;
  }

  peek(): BranchState | undefined {
    return this.stack[this.stack.length - 1];
  }

  push(s: BranchState): void {
    this.stack.push(s);
  }

  pop(): BranchState | undefined {
    return this.stack.pop();
  }

  replaceTop(s: BranchState): void {
    this.stack[this.stack.length - 1] = s;
  }
}
