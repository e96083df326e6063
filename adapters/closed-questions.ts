/**
 * The questions this process closed, with what to say to a reader who presses one of their
 * buttons anyway (a client still showing them, or a press in flight). Kept in memory and bounded:
 * after a restart a late press is taken in as before, the conversation step finds the question
 * settled and closes it again, and from then on it is known here.
 */
export class ClosedQuestions {
  private readonly texts = new Map<string, string>();

  constructor(private readonly max = 10_000) {}

  remember(questionId: string, lateText: string): void {
    this.texts.delete(questionId);
    this.texts.set(questionId, lateText);
    if (this.texts.size > this.max) {
      const oldest = this.texts.keys().next().value;
      if (oldest !== undefined) this.texts.delete(oldest);
    }
  }

  /** What to answer a press of a closed question; undefined while it is open (or unknown). */
  lateText(questionId: string): string | undefined {
    return this.texts.get(questionId);
  }
}
