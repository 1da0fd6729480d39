namespace Reconciler.Core.Resources.Files;

public enum FileType
{
    File,
    Directory,
}
