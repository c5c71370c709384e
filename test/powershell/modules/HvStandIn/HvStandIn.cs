// The object types the stand-in Hyper-V and FailoverClusters cmdlets return, under the real type names,
// property names and property types, so scripts bind, cast, format and serialise them as they would the
// real ones. Each object reads (and for the writable cluster properties, writes) one entry of the
// in-memory state; every write is recorded.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;

namespace HvStandIn
{
    public static class Store
    {
        /// <summary>The whole state: a PowerShell hashtable read from the test's JSON.</summary>
        public static Hashtable Data;
        public static ArrayList Calls = new ArrayList();

        public static void Record(string command, IDictionary parameters, string outcome)
        {
            var call = new System.Collections.Specialized.OrderedDictionary();
            call["Command"] = command;
            call["Parameters"] = parameters;
            call["Outcome"] = outcome;
            Calls.Add(call);
        }

        internal static long Long(IDictionary d, string key) { return d[key] == null ? 0 : Convert.ToInt64(d[key]); }
        internal static int Int(IDictionary d, string key) { return d[key] == null ? 0 : Convert.ToInt32(d[key]); }
        internal static uint UInt(IDictionary d, string key) { return d[key] == null ? 0 : Convert.ToUInt32(d[key]); }
        internal static bool Bool(IDictionary d, string key) { return d[key] != null && Convert.ToBoolean(d[key]); }
        internal static string Str(IDictionary d, string key) { return d[key] == null ? null : Convert.ToString(d[key]); }
        internal static T Enum<T>(IDictionary d, string key) { return (T)System.Enum.Parse(typeof(T), Convert.ToString(d[key]), true); }
    }
}

namespace Microsoft.HyperV.PowerShell
{
    using HvStandIn;

    public enum VMState
    {
        Other = 1, Running = 2, Off = 3, Stopping = 4, Saved = 6, Paused = 9, Starting = 10, Reset = 11,
        Saving = 32773, Pausing = 32776, Resuming = 32777, FastSaved = 32779, FastSaving = 32780,
        ForceShutdown = 32781, ForceReboot = 32782, Hibernated = 32783, ComponentServicing = 32784,
        RunningCritical = 32785, OffCritical = 32786, StoppingCritical = 32787, SavedCritical = 32788,
        PausedCritical = 32789, StartingCritical = 32790, ResetCritical = 32791, SavingCritical = 32792,
        PausingCritical = 32793, ResumingCritical = 32794, FastSavedCritical = 32795, FastSavingCritical = 32796
    }
    public enum StartAction { Nothing = 2, StartIfRunning = 3, Start = 4 }
    public enum StopAction { TurnOff = 2, Save = 3, ShutDown = 4 }

    public class VirtualMachine
    {
        internal readonly IDictionary Entry;
        public VirtualMachine(IDictionary entry)
        {
            Entry = entry;
            Name = Store.Str(entry, "Name");
            Id = new Guid(Store.Str(entry, "Id"));
            ComputerName = Store.Str(entry, "ComputerName");
            State = Store.Enum<VMState>(entry, "State");
            Generation = Store.Int(entry, "Generation");
            DynamicMemoryEnabled = Store.Bool(entry, "DynamicMemoryEnabled");
            MemoryStartup = Store.Long(entry, "Startup");
            MemoryMinimum = Store.Long(entry, "Minimum");
            MemoryMaximum = Store.Long(entry, "Maximum");
            bool holdsMemory = State != VMState.Off && State != VMState.Saved && State != VMState.Hibernated;
            MemoryAssigned = holdsMemory ? Store.Long(entry, "Assigned") : 0;
            MemoryDemand = holdsMemory ? Store.Long(entry, "Demand") : 0;
            AutomaticStartAction = Store.Enum<StartAction>(entry, "AutomaticStartAction");
            AutomaticStartDelay = Store.Int(entry, "AutomaticStartDelay");
            AutomaticStopAction = Store.Enum<StopAction>(entry, "AutomaticStopAction");
            SmartPagingFilePath = Store.Str(entry, "SmartPagingFilePath");
            ConfigurationLocation = Store.Str(entry, "ConfigurationLocation") ?? SmartPagingFilePath;
            Path = ConfigurationLocation;
            IsClustered = entry["Cluster"] != null;
            Version = "9.0";
        }
        public string Name { get; private set; }
        public string VMName { get { return Name; } }
        public Guid Id { get; private set; }
        public Guid VMId { get { return Id; } }
        public string ComputerName { get; private set; }
        public VMState State { get; private set; }
        public int Generation { get; private set; }
        public string Version { get; private set; }
        public bool DynamicMemoryEnabled { get; private set; }
        public long MemoryStartup { get; private set; }
        public long MemoryMinimum { get; private set; }
        public long MemoryMaximum { get; private set; }
        public long MemoryAssigned { get; private set; }
        public long MemoryDemand { get; private set; }
        public StartAction AutomaticStartAction { get; private set; }
        public int AutomaticStartDelay { get; private set; }
        public StopAction AutomaticStopAction { get; private set; }
        public string SmartPagingFilePath { get; private set; }
        public string ConfigurationLocation { get; private set; }
        public string Path { get; private set; }
        public bool IsClustered { get; private set; }
        public override string ToString() { return "VirtualMachine (Name = '" + Name + "') [Id = '" + Id + "']"; }
    }

    public class VMMemory
    {
        public VMMemory(IDictionary entry)
        {
            VMName = Store.Str(entry, "Name");
            VMId = new Guid(Store.Str(entry, "Id"));
            ComputerName = Store.Str(entry, "ComputerName");
            DynamicMemoryEnabled = Store.Bool(entry, "DynamicMemoryEnabled");
            Startup = Store.Long(entry, "Startup");
            Minimum = Store.Long(entry, "Minimum");
            Maximum = Store.Long(entry, "Maximum");
            Buffer = Store.Int(entry, "Buffer");
            Priority = Store.Int(entry, "Priority");
            ResourcePoolName = "Primordial";
        }
        public string VMName { get; private set; }
        public Guid VMId { get; private set; }
        public string ComputerName { get; private set; }
        public bool DynamicMemoryEnabled { get; private set; }
        public long Startup { get; private set; }
        public long Minimum { get; private set; }
        public long Maximum { get; private set; }
        public int Buffer { get; private set; }
        public int Priority { get; private set; }
        public string ResourcePoolName { get; private set; }
        public override string ToString() { return "VMMemory (VMName = '" + VMName + "')"; }
    }

    public class VMHost
    {
        public VMHost(IDictionary entry)
        {
            ComputerName = Store.Str(entry, "Name");
            MemoryCapacity = Store.Long(entry, "MemoryCapacity");
            LogicalProcessorCount = Store.Int(entry, "LogicalProcessorCount");
            NumaSpanningEnabled = Store.Bool(entry, "NumaSpanningEnabled");
            MaximumVirtualMachineMigrations = entry["MaximumVirtualMachineMigrations"] == null ? 2 : Store.Int(entry, "MaximumVirtualMachineMigrations");
        }
        public string ComputerName { get; private set; }
        public string Name { get { return ComputerName; } }
        public long MemoryCapacity { get; private set; }
        public int LogicalProcessorCount { get; private set; }
        public bool NumaSpanningEnabled { get; private set; }
        public int MaximumVirtualMachineMigrations { get; private set; }
        public override string ToString() { return "VMHost (ComputerName = '" + ComputerName + "')"; }
    }

    public class VMHostNumaNode
    {
        public VMHostNumaNode(string computerName, int nodeId, long memoryTotalMB)
        {
            ComputerName = computerName; NodeId = nodeId; MemoryTotal = memoryTotalMB;
        }
        public string ComputerName { get; private set; }
        public int NodeId { get; private set; }
        /// <summary>MB, as Get-VMHostNumaNode reports it</summary>
        public long MemoryTotal { get; private set; }
    }
}

namespace Microsoft.FailoverClusters.PowerShell
{
    using HvStandIn;

    public enum ClusterNodeState { Up = 0, Down = 1, Paused = 2, Joining = 3, Unknown = -1 }
    public enum ClusterGroupState { Online = 0, Offline = 1, Failed = 2, PartialOnline = 3, Pending = 4, Unknown = -1 }
    public enum GroupType { Cluster = 1, AvailableStorage = 2, VirtualMachine = 111, Unknown = 9999 }
    /// <summary>Move-ClusterVirtualMachineRole's -MigrationType, numbered as the cluster's VM_RESDLL_CONTEXT.</summary>
    public enum VmMigrationType { TurnOff = 0, Quick = 1, Shutdown = 2, ShutdownForce = 3, Live = 4 }

    public class Cluster
    {
        internal readonly IDictionary Entry;
        public Cluster(IDictionary entry) { Entry = entry; }
        public string Name { get { return Store.Str(Entry, "Name"); } }
        /// <summary>MB</summary>
        public uint RootMemoryReserved
        {
            get { return Store.UInt(Entry, "RootMemoryReserved"); }
            set { Set("RootMemoryReserved", value); }
        }
        public uint ClusterEnforcedAntiAffinity
        {
            get { return Store.UInt(Entry, "ClusterEnforcedAntiAffinity"); }
            set { Set("ClusterEnforcedAntiAffinity", value); }
        }
        void Set(string property, uint value)
        {
            Entry[property] = value;
            var p = new OrderedDictionary(); p["Cluster"] = Name; p[property] = value;
            Store.Record("set Cluster." + property, p, "applied");
        }
        public override string ToString() { return Name; }
    }

    public class ClusterNode
    {
        public ClusterNode(string name, string state, string cluster)
        {
            Name = name; Cluster = cluster;
            State = (ClusterNodeState)System.Enum.Parse(typeof(ClusterNodeState), state ?? "Up", true);
        }
        public string Name { get; private set; }
        public ClusterNodeState State { get; private set; }
        public string Cluster { get; private set; }
        public override string ToString() { return Name; }
    }

    public class ClusterGroup
    {
        /// <summary>The VM's entry for a VM role, or a core group's own entry.</summary>
        internal readonly IDictionary Entry;
        internal readonly IDictionary Settings;
        public ClusterGroup(IDictionary entry, ClusterNode owner, string cluster, GroupType type)
        {
            Entry = entry; Settings = entry["Cluster"] as IDictionary ?? new Hashtable();
            OwnerNode = owner; Cluster = cluster; GroupType = type;
            string state = Store.Str(entry, "State");
            State = type != GroupType.VirtualMachine || state == "Running" || state == "Paused" ? ClusterGroupState.Online : ClusterGroupState.Offline;
        }
        /// <summary>A VM role is named after its VM unless the state renames it (RoleName), as a cluster allows.</summary>
        public string Name { get { return GroupType == GroupType.VirtualMachine && Settings["RoleName"] != null ? Store.Str(Settings, "RoleName") : Store.Str(Entry, "Name"); } }
        public ClusterNode OwnerNode { get; private set; }
        public ClusterGroupState State { get; private set; }
        public GroupType GroupType { get; private set; }
        public string Cluster { get; private set; }
        public bool IsCoreGroup { get { return GroupType != GroupType.VirtualMachine; } }
        public uint Priority
        {
            get { return Settings["Priority"] == null ? 2000u : Store.UInt(Settings, "Priority"); }
            set
            {
                Settings["Priority"] = value;
                var p = new OrderedDictionary(); p["Group"] = Name; p["Priority"] = value;
                Store.Record("set ClusterGroup.Priority", p, "applied");
            }
        }
        public StringCollection AntiAffinityClassNames
        {
            get
            {
                var names = new StringCollection();
                var list = Settings["AntiAffinityClassNames"] as IEnumerable;
                if (list != null) foreach (var n in list) names.Add(Convert.ToString(n));
                return names;
            }
            set
            {
                var names = new ArrayList();
                if (value != null) foreach (var n in value) names.Add(n);
                Settings["AntiAffinityClassNames"] = names.ToArray();
                var p = new OrderedDictionary(); p["Group"] = Name; p["AntiAffinityClassNames"] = names.ToArray();
                Store.Record("set ClusterGroup.AntiAffinityClassNames", p, "applied");
            }
        }
        public override string ToString() { return Name; }
    }

    public class ClusterResourceType
    {
        public ClusterResourceType(string name) { Name = name; DisplayName = name; }
        public string Name { get; private set; }
        public string DisplayName { get; private set; }
        public override string ToString() { return Name; }
    }

    public class ClusterResource
    {
        public ClusterResource(string name, ClusterGroup group, ClusterResourceType type)
        {
            Name = name; OwnerGroup = group; ResourceType = type; OwnerNode = group.OwnerNode;
            State = group.State == ClusterGroupState.Online ? "Online" : "Offline";
        }
        public string Name { get; private set; }
        public ClusterGroup OwnerGroup { get; private set; }
        public ClusterNode OwnerNode { get; private set; }
        public ClusterResourceType ResourceType { get; private set; }
        public string State { get; private set; }
        public override string ToString() { return Name; }
    }

    public class ClusterOwnerNodeList
    {
        public ClusterOwnerNodeList(object clusterObject, IList<ClusterNode> owners)
        {
            ClusterObject = clusterObject; OwnerNodes = new List<ClusterNode>(owners);
        }
        public object ClusterObject { get; private set; }
        public List<ClusterNode> OwnerNodes { get; private set; }
    }

    public class ClusterParameter
    {
        public ClusterParameter(object clusterObject, string name, object value)
        {
            ClusterObject = clusterObject; Name = name; Value = value;
        }
        public object ClusterObject { get; private set; }
        public string Name { get; private set; }
        public bool IsReadOnly { get { return false; } }
        public object Value { get; private set; }
    }
}

namespace Microsoft.PowerShell.Commands.GetCounter
{
    public class PerformanceCounterSample
    {
        public PerformanceCounterSample(string path, string instanceName, double cookedValue, DateTime timestamp)
        {
            Path = path; InstanceName = instanceName; CookedValue = cookedValue; RawValue = (ulong)Math.Max(0, cookedValue);
            Timestamp = timestamp; Status = 0;
        }
        public string Path { get; private set; }
        public string InstanceName { get; private set; }
        public double CookedValue { get; private set; }
        public ulong RawValue { get; private set; }
        public DateTime Timestamp { get; private set; }
        public uint Status { get; private set; }
    }

    public class PerformanceCounterSampleSet
    {
        public PerformanceCounterSampleSet(DateTime timestamp, PerformanceCounterSample[] samples)
        {
            Timestamp = timestamp; CounterSamples = samples;
        }
        public DateTime Timestamp { get; private set; }
        public PerformanceCounterSample[] CounterSamples { get; private set; }
    }
}
