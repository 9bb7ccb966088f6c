; Inno Setup script for the Windows installer. Build the PyInstaller folder first
; (build\dist\deepdraft), then:  iscc /DAppVersion=0.1.0 installers\windows\deepdraft.iss
; Per-user install (no admin rights), Start menu entry, .ddproj association, clean uninstall.
; Not yet run: the GitHub Actions job in .github/workflows/installers.yml is its first test.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6C1E2F0A-5B7D-4C39-9E4A-D2E7B8A41F03}
AppName=Deepdraft
AppVersion={#AppVersion}
AppPublisher=Deepdraft
DefaultDirName={localappdata}\Programs\Deepdraft
DefaultGroupName=Deepdraft
PrivilegesRequired=lowest
ChangesAssociations=yes
OutputDir=..\..\dist
OutputBaseFilename=deepdraft-{#AppVersion}-windows-x64-setup
Compression=lzma2/fast
SolidCompression=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\Deepdraft.exe

[Files]
Source: "..\..\build\dist\deepdraft\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Deepdraft"; Filename: "{app}\Deepdraft.exe"
Name: "{group}\Uninstall Deepdraft"; Filename: "{uninstallexe}"

[Registry]
Root: HKCU; Subkey: "Software\Classes\.ddproj"; ValueType: string; ValueData: "Deepdraft.Project"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\Deepdraft.Project"; ValueType: string; ValueData: "Deepdraft project"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\Deepdraft.Project\DefaultIcon"; ValueType: string; ValueData: "{app}\Deepdraft.exe,0"
Root: HKCU; Subkey: "Software\Classes\Deepdraft.Project\shell\open\command"; ValueType: string; ValueData: """{app}\Deepdraft.exe"" ""%1"""

[Run]
Filename: "{app}\Deepdraft.exe"; Description: "Start Deepdraft"; Flags: nowait postinstall skipifsilent
