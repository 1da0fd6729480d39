using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// A MariaDB object: a database, a user with its grants, a table, or a table's rows. One provider handles all four, so
/// a host's MariaDB facts come from one mysql invocation and each kind can see what the others declare.
/// </summary>
public abstract record MariaDbResource(SourceLocation Source) : Resource(Source);
