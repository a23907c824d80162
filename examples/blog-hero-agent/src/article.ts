export interface Article {
  slug: string;
  title: string;
  summary: string;
}

/**
 * The agent's writing step. Here it is a small deterministic writer so the example runs offline and the same
 * topic always gives the same article; in your agent this is the call to your language model.
 */
export function writeArticle(topic: string): Article {
  const subject = topic.trim().replace(/[.!?]+$/, "");
  const title = subject.charAt(0).toUpperCase() + subject.slice(1);
  const summary =
    `${title}: what changed, why it mattered, and what we would do again. ` +
    `A short, practical read with the numbers before and after, and the one decision that made the difference.`;
  const slug = subject
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return { slug: slug || "article", title, summary };
}

/** The article as Markdown, with the hero image it sits next to. */
export function articleMarkdown(article: Article, heroFile: string, heroUrl: string): string {
  return `# ${article.title}\n\n![${article.title}](${heroFile})\n\n${article.summary}\n\n<!-- hero image: ${heroUrl} -->\n`;
}
