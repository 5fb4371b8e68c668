/**
 * Prints one line when a build starts, so that a quiet build ({@code mvn -q}) shows it is at work
 * before the first module's output. Run by the parent POM with Java's source-file launcher.
 */
public class BuildBanner {
  public static void main(String[] args) {
    System.out.println(String.join(" ", args));
  }
}
